/**
 * Given names that compromise's own dictionary (mostly English and European names) lacks, so
 * that "Yesterday Priya and I…" is found like "Yesterday Sarah and I…". Common names from West
 * and East Africa, the Middle East, South, East and South-East Asia, Eastern Europe, Latin
 * America, Ireland and Scandinavia. Names that are also English words ("Yaw", "Ama" as in AMA,
 * "Jun") are left out, and Korean names are written without their hyphen (compromise splits
 * "Seo-yeon" in two); the list is an aid, not a census.
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
`.trim().split(/\s+/u);
