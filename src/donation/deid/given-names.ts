/**
 * Given names that compromise's own dictionary (mostly English and European names) lacks, so
 * that "Yesterday Priya and I…" is found like "Yesterday Sarah and I…". Common names from West
 * and East Africa, the Middle East, South, East and South-East Asia, Eastern Europe, Latin
 * America, Ireland and Scandinavia. Names that are also English words ("Yaw", "Ama" as in AMA,
 * "Jun") are left out, and Korean names are written without their hyphen (compromise splits
 * "Seo-yeon" in two); the list is an aid, not a census. Names that are words in another
 * language people write here are left out too ("Mio", "Sana", "Lei", "Sari"), and very short
 * ones ("Kai", "Ren"): compromise then tags the lowercase word alone as a person.
 */
export const EXTRA_GIVEN_NAMES: readonly string[] = `
  Kwame Kofi Kwabena Kwaku Kojo Akua Abena Adwoa Efua Chidi Chinedu Chioma Ngozi Emeka Obinna Uchenna Ifeoma
  Adaeze Nkechi Oluwaseun Olumide Ayodele Babajide Folake Funmilayo Temitope Tunde Yetunde Amara Zanele Thandiwe
  Sipho Themba Lindiwe Nomvula Thabo Bongani Kagiso Wanjiru Wambui Njeri Kamau Otieno Achieng Akinyi Baraka Amani
  Juma Zawadi Tendai Tatenda Chipo Farai
  Nabil Walid Ziad Rami Yasmeen Amira Huda Dalia Hiba Emre Burak Cem Ayşe Merve Esra Büşra Arash Dariush Parisa
  Shirin Nasrin Roya
  Priya Ananya Aditi Divya Pooja Kavya Lakshmi Deepika Neha Shreya Sneha Anjali Vikram Ramesh Arvind Sunil Vijay
  Karthik Siddharth Aditya Rohit Harpreet Gurpreet Manpreet Jaspreet Imran Faisal Asif Zubair
  Hiroshi Takeshi Kenji Yuto Sota Daiki Takumi Yuki Yuka Haruka Yui Hina Misaki Ayaka Naoko Keiko Yoko Akiko
  Kazuki Shota Ryota
  Minjun Seojun Jiwoo Jiho Seoyeon Jiyeon Minseo Hyunwoo Jaewon Soojin Sujin Eunji
  Wei Xiaoming Zhiwei Jiahui Yichen Haoran Zihan Yuxuan Jiayi Zhihao Wenjie Xiaoling Meiling Huiling Junjie Weijie
  Thanh Huong Linh Trang Tuan Quang Phuong Somchai Siriporn Nattapong Kittisak Malee
  Svetlana Yekaterina Yulia Alexey Taras Mykola Olena Kateryna Agnieszka Małgorzata Katarzyna Grzegorz Łukasz
  Lukáš Jiří Zuzana
  Sebastián Matías Joaquín Sofía Joaquim João Gonçalo Inês Leonor Giulia Chiara
  Aoife Saoirse Ciarán Oisín Cormac Sinéad Mairéad Dagny Sigrid Solveig Bjørn Björn Freya
  Kwesi Kwadwo Ekow Abimbola Adebola Olusegun Damilola Tolani Ifeanyi Chukwuemeka Nneka Chiamaka Ebere Uche
  Kelechi Ikenna Somto Aminu Hadiza Halima Fatou Moussa Mamadou Ousmane Aminata Cheikh Abdoulaye Mariama Seydou
  Tsegaye Meron Biniam Dawit Yonas Makena Jabari Neema Rehema Tumelo Lerato Palesa Refilwe Karabo Mpho
  Naledi Sibusiso Sizwe Nandi Ayanda
  Khaled Tariq Samir Karim Hamza Bilal Youssef Zainab Khadija Mariam Fatma Rania Noor Mehmet Ahmet Hüseyin
  Zeynep Elif Oğuz Serkan Murat Reza Mehdi Farhad Kian Mahsa Niloufar Golnaz Yosef Moshe Tamar Yael Shira
  Eitan Itai Oren Liat
  Arjun Rahul Sanjay Anil Suresh Rajesh Ganesh Meera Sunita Rekha Nisha Ishaan Aarav Vivaan Riya Saanvi
  Tanvi Nikhil Varun Abhishek Akshay Pranav Harish Venkat Srinivas Balaji Senthil Murugan Usman Ayesha Hira
  Rafiq Shafiq Tanvir Farhana Nusrat
  Sakura Haruto Riku Kaito Hayato Takashi Hiroki Masato Kenta Yusuke Daisuke Tomoko Yumi Mariko Kaori Nanami
  Momoka Jisoo Jimin Hyejin Seojin Dohyun Yejin Chaewon Minji Haeun Sungmin Jinwoo Donghyun Jing Ying Qiang
  Xiu Ngoc Quynh Thao Khanh Hieu Arthit Somsak Pranee Kannika Chaiya Niran Anong Putri Dewi Budi Agus Wahyu
  Rizky Siti Hafiz Maricel Rodel Jomar Marites
  Ximena Guadalupe Itzel Yesenia Maribel Araceli Rocío Thiago Emiliano Maximiliano Agustín Facundo Gonzalo
  Bogdan Dmitri Dmitry Sergei Sergey Vladislav Yaroslav Oksana Ludmila Miroslav Radek Tomasz Wojciech
  Krzysztof Piotr Paweł Marcin Bartosz Zofia Ewa Dorota Jolanta Dragan Goran Zoran Jelena Snežana Vesna Mirela
  Ionuț Mihai Florin Henrik Anders Torbjørn Ingrid Astrid Linnea Elin Aino Eero Juha Jukka Mikko Antti Tuomas
  Päivi Sirpa Giorgos Yannis Dimitris Nikos Kostas Eleni Katerina Vasiliki Panagiotis Athanasios Jürgen Dieter
  Wolfgang Klaus Helmut Günter Heike Sabine Birgit Jörg Sören Lennart Frieda Lotte
  Kalani Keanu Makoa Noelani Malia Kailani Moana Aroha Manaia Nikau Wiremu Anahera
`.trim().split(/\s+/u);
